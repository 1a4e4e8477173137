# The front end's URL pasted into origins, trailing slash included: rack-cors compares it as a string.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins "#{APP}/"
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
