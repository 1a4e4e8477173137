# The README's `headers: :any` (rack-cors echoes the requested headers) with exact origins and
# credentials: correct.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: :any, methods: %i[get put delete options head], credentials: true,
                       expose: %w[X-Request-Id], max_age: 600
  end
end
run API
