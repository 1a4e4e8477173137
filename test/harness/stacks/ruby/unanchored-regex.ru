# "All our subdomains" as a regexp without anchors: rack-cors tests it with ===, so it matches anywhere.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins %r{https://(.+)\.myshop\.test}
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
