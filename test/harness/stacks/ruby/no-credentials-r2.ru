# The exact origins and the API's methods, but `credentials: true` left out (rack-cors's default is false),
# while the front end sends its session cookie.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '/api/*', headers: %w[Authorization Content-Type], methods: %i[get put delete options head],
                       expose: %w[X-Request-Id]
  end
end
run API
