# rack-cors refuses origins '*' with credentials: true at boot, so the "fix" people reach for is a
# block that says yes to every origin, which rack-cors then echoes with credentials.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins { |_source, _env| true }
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
