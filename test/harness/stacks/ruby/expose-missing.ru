# Everything but expose: rack-cors then sends an empty Access-Control-Expose-Headers.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true
  end
end
run API
