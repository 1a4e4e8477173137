# Correct, with Rack::Deflater inside: responses carry Vary: Accept-Encoding, Origin (one header).
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: %w[Authorization Content-Type], methods: %i[get put delete options head],
                       credentials: true, expose: %w[X-Request-Id]
  end
end
use Rack::Deflater
run API
