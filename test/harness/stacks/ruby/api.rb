# The API every Ruby variant serves (the same resource as the Node apps): GET/PUT/DELETE /api/data,
# /api/private behind authentication, /api/crash raising, everything else 404. APP and ADMIN come from
# the environment so every stack is judged against the same page origins.
require 'json'

APP = ENV.fetch('APP')
ADMIN = ENV.fetch('ADMIN')
BODY = ENV.fetch('BODY')
REQUEST_ID = ENV.fetch('REQUEST_ID')

def authenticated?(env)
  env['HTTP_AUTHORIZATION'].to_s.start_with?('Bearer ') || env['HTTP_COOKIE'].to_s =~ /(^|;\s*)session=ok\b/
end

API = lambda do |env|
  json = { 'Content-Type' => 'application/json' }
  case env['PATH_INFO']
  when '/api/data'
    return [405, json, ['{"error":"method not allowed"}']] unless %w[GET HEAD PUT DELETE].include?(env['REQUEST_METHOD'])
    [200, json.merge('X-Request-Id' => REQUEST_ID), [BODY]]
  when '/api/private'
    return [401, json, ['{"error":"login required"}']] unless authenticated?(env)
    [200, json.merge('X-Request-Id' => REQUEST_ID), [BODY]]
  when '/api/crash'
    raise 'boom: the database is down'
  else
    [404, json, ['{"error":"not found"}']]
  end
end

# The usual hand-rolled token check, as a middleware in front of the whole app.
class RequireLogin
  def initialize(app)
    @app = app
  end

  def call(env)
    return [401, { 'Content-Type' => 'application/json' }, ['{"error":"login required"}']] unless authenticated?(env)
    @app.call(env)
  end
end
