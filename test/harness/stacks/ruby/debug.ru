# The correct configuration with debug: true (it logs and adds X-Rack-CORS: hit/miss): still correct.
require_relative 'api'
require 'rack/cors'

use Rack::Cors, debug: true, logger: Logger.new($stderr) do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: %w[Authorization Content-Type], methods: %i[get put delete options head],
                       credentials: true, expose: %w[X-Request-Id]
  end
end
run API
