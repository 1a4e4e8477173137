# Rack::Cors inside a `map '/api'` block: there PATH_INFO is '/data', so `resource '/api/*'` never
# matches; rack-cors answers every preflight 200 with no headers and adds nothing to the rest.
require_relative 'api'
require 'rack/cors'

map '/api' do
  use Rack::Cors do
    allow do
      origins APP, ADMIN
      resource '/api/*', headers: :any, methods: %i[get put delete options], credentials: true,
                         expose: %w[X-Request-Id]
    end
  end
  run ->(env) { API.call(env.merge('PATH_INFO' => env['SCRIPT_NAME'] + env['PATH_INFO'])) }
end
