-- The Lua workload of `node bench/run.mjs --arch aarch64` (entry lua): Debian's arm64 lua5.4
-- runs it under crossrun and under qemu-aarch64, and the two outputs must match. Each part
-- exercises a different side of the interpreter (floats in table fields, closures and upvalues,
-- the string library, hashing and sorting, coroutines) and prints a short digest of its result.
-- Deterministic: no clock, no addresses, no iteration over hash order without sorting.
--   lua5.4 bench.lua [scale]   (scale 1: about 1 s under qemu-aarch64)
local scale = tonumber(arg and arg[1]) or 1

-- A seeded generator (an LCG's high bits), so every run sees the same "random" data.
local function rng(seed)
  local s = seed
  return function(n)
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return (s >> 8) % n
  end
end

-- 1. Gravity between a few bodies: float arithmetic on table fields.
local function orbits(steps)
  local bodies = {}
  local r = rng(7)
  for i = 1, 6 do
    bodies[i] = {
      x = r(2000) / 100 - 10, y = r(2000) / 100 - 10, z = r(200) / 100 - 1,
      vx = r(100) / 1000 - 0.05, vy = r(100) / 1000 - 0.05, vz = 0, m = (i == 1) and 40 or (r(100) + 1) / 100,
    }
  end
  local n, dt = #bodies, 0.01
  local function energy()
    local e = 0
    for i = 1, n do
      local a = bodies[i]
      e = e + 0.5 * a.m * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz)
      for j = i + 1, n do
        local b = bodies[j]
        local dx, dy, dz = a.x - b.x, a.y - b.y, a.z - b.z
        e = e - a.m * b.m / math.sqrt(dx * dx + dy * dy + dz * dz + 0.25)
      end
    end
    return e
  end
  local e0 = energy()
  for _ = 1, steps do
    for i = 1, n do
      local a = bodies[i]
      for j = i + 1, n do
        local b = bodies[j]
        local dx, dy, dz = a.x - b.x, a.y - b.y, a.z - b.z
        local d2 = dx * dx + dy * dy + dz * dz + 0.25
        local mag = dt / (d2 * math.sqrt(d2))
        local ma, mb = a.m * mag, b.m * mag
        a.vx, a.vy, a.vz = a.vx - dx * mb, a.vy - dy * mb, a.vz - dz * mb
        b.vx, b.vy, b.vz = b.vx + dx * ma, b.vy + dy * ma, b.vz + dz * ma
      end
    end
    for i = 1, n do
      local a = bodies[i]
      a.x, a.y, a.z = a.x + dt * a.vx, a.y + dt * a.vy, a.z + dt * a.vz
    end
  end
  return string.format('orbits: energy %.9f -> %.9f', e0, energy())
end

-- 2. A tiny language: a tokenizer, a recursive-descent parser building tables, and a compiler
-- from those trees to nested closures, run over many inputs.
local function calculator(rounds)
  local function tokens(src)
    local out = {}
    for num, op in src:gmatch('%s*(%d*%.?%d+)%s*([^%d%s]?)') do
      out[#out + 1] = tonumber(num)
      if op ~= '' then
        for c in op:gmatch('.') do out[#out + 1] = c end
      end
    end
    return out
  end
  local function parse(toks)
    local pos = 1
    local expr
    local function atom()
      local t = toks[pos]; pos = pos + 1
      if t == '(' then
        local e = expr(); pos = pos + 1 -- ')'
        return e
      elseif t == '-' then
        return { op = 'neg', atom() }
      end
      return { op = 'num', t }
    end
    local function term()
      local l = atom()
      while toks[pos] == '*' or toks[pos] == '/' or toks[pos] == '%' do
        local op = toks[pos]; pos = pos + 1
        l = { op = op, l, atom() }
      end
      return l
    end
    expr = function()
      local l = term()
      while toks[pos] == '+' or toks[pos] == '-' do
        local op = toks[pos]; pos = pos + 1
        l = { op = op, l, term() }
      end
      return l
    end
    return expr()
  end
  local ops = {
    ['+'] = function(a, b) return function(x) return a(x) + b(x) end end,
    ['-'] = function(a, b) return function(x) return a(x) - b(x) end end,
    ['*'] = function(a, b) return function(x) return a(x) * b(x) end end,
    ['/'] = function(a, b) return function(x) local d = b(x) if d == 0 then return 0 end return a(x) / d end end,
    ['%'] = function(a, b) return function(x) local d = b(x) if d == 0 then return 0 end return a(x) % d end end,
  }
  local function compile(node)
    if node.op == 'num' then
      local v = node[1]
      if v == 7 then return function(x) return x end end -- 7 stands for the variable
      return function() return v end
    elseif node.op == 'neg' then
      local a = compile(node[1])
      return function(x) return -a(x) end
    end
    return ops[node.op](compile(node[1]), compile(node[2]))
  end
  local r = rng(11)
  local function gen(depth)
    if depth == 0 or r(4) == 0 then return tostring(r(20)) end
    local op = ({ '+', '-', '*', '/', '%' })[r(5) + 1]
    local s = gen(depth - 1) .. ' ' .. op .. ' ' .. gen(depth - 1)
    return r(3) == 0 and ('(' .. s .. ')') or s
  end
  local total, count = 0, 0
  for i = 1, rounds do
    local src = gen(5)
    local f = compile(parse(tokens(src)))
    for x = 1, 20 do
      local v = f(x + i % 3)
      if v == v and v ~= math.huge and v ~= -math.huge then total = total + v; count = count + 1 end
    end
  end
  return string.format('calculator: %d values, sum %.6e', count, total)
end

-- 3. Text: generate words, count them, rewrite them with patterns, format a report.
local function text(nwords)
  local r = rng(3)
  local syl = { 'ka', 'lo', 'mi', 'ne', 'ra', 'tu', 'se', 'vo', 'gin', 'dar', 'pel', 'qu', 'the', 'ing' }
  local vocab = {}
  for i = 1, 500 do
    local w = {}
    for j = 1, 1 + r(3) do w[j] = syl[r(#syl) + 1] end
    vocab[i] = table.concat(w)
  end
  local lines, line = {}, {}
  for i = 1, nwords do
    line[#line + 1] = vocab[math.min(r(500), r(500)) + 1]
    if #line == 12 then lines[#lines + 1] = table.concat(line, ' '); line = {} end
  end
  local doc = table.concat(lines, '\n')
  local freq = {}
  for w in doc:gmatch('%a+') do freq[w] = (freq[w] or 0) + 1 end
  local words = {}
  for w in pairs(freq) do words[#words + 1] = w end
  table.sort(words, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
  local shouted = doc:gsub('(%a)(%a*)', function(a, b) return a:upper() .. b:reverse() end)
  local vowels = select(2, doc:gsub('[aeiou]', ''))
  local top = {}
  for i = 1, 5 do top[i] = string.format('%s=%d', words[i], freq[words[i]]) end
  local h = 0
  for i = 1, #shouted, 7 do h = (h * 31 + shouted:byte(i)) & 0xffffffff end
  return string.format('text: %d bytes, %d distinct, %d vowels, top %s, hash %08x', #doc, #words, vowels, table.concat(top, ' '), h)
end

-- 4. Tables: records in a hash keyed by strings, removals, a sort with a comparator, grouping.
local function records(n)
  local r = rng(5)
  local byKey, list = {}, {}
  for i = 1, n do
    local rec = { id = i, key = string.format('k%05d', r(n * 2)), score = r(10000), group = r(37) }
    byKey[rec.key] = rec
    list[#list + 1] = rec
  end
  for i = 1, n, 3 do byKey[list[i].key] = nil end
  local kept = {}
  for _, rec in ipairs(list) do if byKey[rec.key] == rec then kept[#kept + 1] = rec end end
  table.sort(kept, function(a, b) if a.score ~= b.score then return a.score < b.score end return a.id < b.id end)
  local groups = {}
  for _, rec in ipairs(kept) do
    local g = groups[rec.group]
    if not g then g = { n = 0, sum = 0 }; groups[rec.group] = g end
    g.n, g.sum = g.n + 1, g.sum + rec.score
  end
  local best, bestAvg = -1, -1
  for k = 0, 36 do
    local g = groups[k]
    if g and g.sum / g.n > bestAvg then best, bestAvg = k, g.sum / g.n end
  end
  return string.format('records: %d kept, median score %d, best group %d avg %.3f', #kept, kept[#kept // 2].score, best, bestAvg)
end

-- 5. Coroutines: a pipeline of generators (numbers -> primes sieve -> running sums).
local function pipeline(limit)
  local function numbers()
    return coroutine.wrap(function() for i = 2, limit do coroutine.yield(i) end end)
  end
  local function filter(src, p)
    return coroutine.wrap(function()
      for v in src do if v % p ~= 0 then coroutine.yield(v) end end
    end)
  end
  local src, primes, sum = numbers(), 0, 0
  while true do
    local p = src()
    if not p or p * p > limit then
      -- past the square root every survivor is prime
      if p then primes, sum = primes + 1, sum + p end
      for v in src do primes, sum = primes + 1, sum + v end
      break
    end
    primes, sum = primes + 1, sum + p
    src = filter(src, p)
  end
  return string.format('pipeline: %d primes below %d, sum %d', primes, limit, sum)
end

print(orbits(6000 * scale))
print(calculator(1000 * scale))
print(text(25000 * scale))
print(records(15000 * scale))
print(pipeline(40000 * scale))
