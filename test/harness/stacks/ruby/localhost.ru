# The README's development origins kept in production next to the real one.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN, 'http://localhost:3000', 'http://127.0.0.1:3000'
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
