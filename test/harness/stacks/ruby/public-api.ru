# A public, anonymous API: origins '*' (rack-cors then refuses credentials itself), X-Request-Id exposed.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins '*'
    resource '*', headers: :any, methods: %i[get put delete options], expose: %w[X-Request-Id]
  end
end
run API
