# cyu/rack-cors#220: a public `origins '*'` block first, the credentialed block for one front end after
# it. rack-cors takes the first block whose origin and resource match, so the front end gets `*`.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins '*'
    resource '/api/*', headers: :any, methods: %i[get post patch put]
  end
  allow do
    origins APP, ADMIN
    resource '/api/data', headers: :any, methods: %i[get put delete], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
