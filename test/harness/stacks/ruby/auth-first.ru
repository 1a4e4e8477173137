# The login middleware above Rack::Cors (rack-cors's README says `insert_before 0` for this reason):
# the preflight, which never carries credentials, gets RequireLogin's 401 without CORS headers.
require_relative 'api'
require 'rack/cors'

use RequireLogin
use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: %w[Authorization Content-Type], methods: %i[get put delete options head],
                       credentials: true, expose: %w[X-Request-Id]
  end
end
run API
