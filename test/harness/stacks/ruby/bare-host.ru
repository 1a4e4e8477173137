# origins without a scheme, as in rack-cors's README ('localhost:3000', 'example.com'): rack-cors turns
# it into /^[a-z][a-z0-9.+-]*:\/\/app\.myshop\.test$/, so http:// matches as well as https://.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP.sub(%r{\Ahttps?://}, ''), ADMIN.sub(%r{\Ahttps?://}, '')
    resource '*', headers: :any, methods: %i[get put delete options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
