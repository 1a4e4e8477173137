# The README's example copied: methods [:get, :post, :options]; the API's PUT is not there.
require_relative 'api'
require 'rack/cors'

use Rack::Cors do
  allow do
    origins APP, ADMIN
    resource '*', headers: :any, methods: %i[get post options], credentials: true, expose: %w[X-Request-Id]
  end
end
run API
