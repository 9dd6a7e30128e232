-- wrk -t1 -s bench/walk.lua URL -- LIST SPARE ETAG: every path of the file LIST
-- (one a line) requested exactly once. The thread stops once it has all their
-- answers and says so on stdout ("walk: done"); wrk's main thread would keep
-- sleeping for -d, so bench/cold.py interrupts it then (SIGINT) and keeps its
-- own clock.
--
-- gunicorn's sync workers read a request as soon as they accept a connection, so
-- a connection wrk opened but sends nothing on would hold a worker until its
-- timeout. Once the list is all asked, connections that come free therefore ask
-- for SPARE with If-None-Match ETAG: a 304 a fraction of a millisecond long, told
-- from the list's answers by its status, and never counted.
local headers = {["X-Forwarded-Proto"] = "https"}

function init(args)
  paths, issued, answered, bad = {}, 0, 0, 0
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  spare = wrk.format("GET", args[2], {["X-Forwarded-Proto"] = "https", ["If-None-Match"] = args[3]})
  -- wrk calls request() once before the run to check what it builds: that call takes no path.
  checked = false
end

function request()
  if not checked then
    checked = true
    return wrk.format("GET", paths[1], headers)
  end
  if issued < #paths then
    issued = issued + 1
    return wrk.format("GET", paths[issued], headers)
  end
  return spare
end

function response(status, response_headers, body)
  if status == 304 then return end
  answered = answered + 1
  if status < 200 or status > 299 then bad = bad + 1 end
  if answered == #paths then
    io.write(string.format("walk: done, %d answers, non2xx=%d\n", answered, bad))
    io.stdout:flush()
    wrk.thread:stop()
  end
end
