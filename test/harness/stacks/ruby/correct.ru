# rack-cors as its README says: first in the stack, the exact origins, credentials, the methods the API
# has, Authorization allowed, X-Request-Id exposed. Errors from the app below keep the headers.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: %w[Authorization Content-Type], methods: %i[get put delete options head],
                       credentials: true, expose: %w[X-Request-Id], max_age: 600
  end
end
run API
