// The SQL script of the bench's sqlite3 entry (bench/real-programs.mjs): Debian's arm64 sqlite3
// runs it on an in-memory database under crossrun and under qemu-aarch64, and the outputs must
// match. Generated from a seeded generator, so every run and both emulators see the same text.
// It walks the main paths of the engine: the parser (thousands of INSERT statements in one
// transaction), B-tree inserts and index builds, joins, GROUP BY, window functions, a correlated
// subquery, recursive CTEs, UPDATE and DELETE, and an integrity check. About 1 s under qemu-aarch64.

/** Bump when the script changes: the cached file is keyed by it. */
export const SQL_VERSION = 1;

const CITIES = ['Aden', 'Bergen', 'Cusco', 'Dakar', 'Essen', 'Fargo', 'Galway', 'Hilo', 'Izmir', 'Jaffna', 'Kochi', 'Lagos'];
const ITEMS = ['anvil', 'bolt', 'cable', 'drill', 'epoxy', 'file', 'gauge', 'hinge', 'insulator', 'jack', 'knob', 'lever',
  'mallet', 'nail', 'oiler', 'pliers', 'quill', 'rasp', 'saw', 'tape'];

/** The script: `customers` customers and `orders` orders (the defaults size it). */
export function sqliteScript(customers = 800, orders = 3500) {
  let s = 2024;
  // an LCG's low bits cycle quickly: use the high ones
  const rnd = (n) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8) % n;
  const q = [
    '.bail on',
    '.mode list',
    'PRAGMA foreign_keys = ON;',
    'CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, tier INTEGER NOT NULL);',
    'CREATE TABLE item(name TEXT PRIMARY KEY, weight REAL NOT NULL) WITHOUT ROWID;',
    'CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer(id), item TEXT NOT NULL,' +
      ' qty INTEGER NOT NULL, price REAL NOT NULL, day INTEGER NOT NULL, note TEXT);',
    'BEGIN;',
  ];
  ITEMS.forEach((it, i) => q.push(`INSERT INTO item VALUES('${it}', ${(1 + i * 0.37).toFixed(2)});`));
  for (let i = 1; i <= customers; i++) {
    const name = `${String.fromCharCode(65 + rnd(26))}${'aeiou'[rnd(5)]}${'lmnrst'[rnd(6)]}${'aeiouy'[rnd(6)]}-${i}`;
    q.push(`INSERT INTO customer VALUES(${i}, '${name}', '${CITIES[rnd(CITIES.length)]}', ${1 + rnd(4)});`);
  }
  for (let i = 1; i <= orders; i++) {
    // a skew towards low customer numbers and the first items, as in real order books
    const cust = 1 + Math.min(rnd(customers), rnd(customers));
    const item = ITEMS[Math.min(rnd(ITEMS.length), rnd(ITEMS.length))];
    const note = rnd(4) === 0 ? `'rush ${rnd(100)}'` : 'NULL';
    q.push(`INSERT INTO orders(customer, item, qty, price, day, note) VALUES(${cust}, '${item}', ${1 + rnd(50)}, ${(rnd(100000) / 100).toFixed(2)}, ${rnd(365)}, ${note});`);
  }
  q.push(
    'COMMIT;',
    // more rows from a recursive CTE: the VDBE running without the parser
    'INSERT INTO orders(customer, item, qty, price, day)' +
      ` WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${orders * 2})` +
      ` SELECT 1 + (n * 7919) % ${customers}, i.name, 1 + n % 17, (n % 997) / 10.0, n % 365 FROM g` +
      ` JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS k FROM item) i ON i.k = g.n % ${ITEMS.length} ORDER BY g.n;`,
    'CREATE INDEX orders_customer ON orders(customer);',
    'CREATE INDEX orders_item_day ON orders(item, day);',
    'CREATE INDEX customer_city ON customer(city, tier);',
    'ANALYZE;',
    'SELECT count(*), sum(qty), printf("%.2f", sum(qty * price)), min(day), max(day), count(note) FROM orders;',
    'SELECT c.city, count(*), sum(o.qty), printf("%.2f", sum(o.qty * o.price)) FROM orders o JOIN customer c ON c.id = o.customer' +
      ' GROUP BY c.city ORDER BY c.city;',
    'SELECT c.tier, o.item, count(*), printf("%.3f", avg(o.qty * i.weight)) FROM orders o JOIN customer c ON c.id = o.customer' +
      ' JOIN item i ON i.name = o.item WHERE o.day BETWEEN 100 AND 200 GROUP BY 1, 2 HAVING count(*) > 40 ORDER BY 1, 3 DESC, 2;',
    'SELECT c.name, sum(o.qty * o.price) AS total FROM customer c JOIN orders o ON o.customer = c.id' +
      ' GROUP BY c.id ORDER BY total DESC, c.id LIMIT 10;',
    // a window over the months of one item, and a rank per city
    "SELECT day / 30 AS month, sum(qty), sum(sum(qty)) OVER (ORDER BY day / 30 ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM orders WHERE item = 'saw' GROUP BY 1 ORDER BY 1;",
    'SELECT city, name, spent FROM (SELECT c.city, c.name, sum(o.price) AS spent, rank() OVER (PARTITION BY c.city ORDER BY sum(o.price) DESC, c.id) AS r' +
      ' FROM customer c JOIN orders o ON o.customer = c.id GROUP BY c.id) WHERE r <= 2 ORDER BY city, r;',
    // a correlated subquery: customers with more orders than the average, per city
    'SELECT c.city, count(*) FROM customer c WHERE (SELECT count(*) FROM orders o WHERE o.customer = c.id) >' +
      ' (SELECT count(*) * 1.0 / (SELECT count(*) FROM customer) FROM orders) GROUP BY c.city ORDER BY 2 DESC, 1 LIMIT 4;',
    "SELECT item, group_concat(DISTINCT substr(note, 1, 4)), count(*) FROM orders WHERE note LIKE 'rush 1%' GROUP BY item ORDER BY item;",
    // recursive CTEs on their own: Collatz path lengths, and a Fibonacci column
    'WITH RECURSIVE c(start, v, steps) AS (SELECT n, n, 0 FROM (WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 600) SELECT n FROM k)' +
      ' UNION ALL SELECT start, CASE WHEN v % 2 THEN 3 * v + 1 ELSE v / 2 END, steps + 1 FROM c WHERE v > 1)' +
      ' SELECT start, max(steps) FROM c GROUP BY start ORDER BY 2 DESC, 1 LIMIT 3;',
    'WITH RECURSIVE f(i, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT i + 1, b, a + b FROM f WHERE i < 90) SELECT i, a FROM f WHERE i % 15 = 0;',
    'BEGIN;',
    'UPDATE orders SET price = round(price * 1.1, 2) WHERE item IN (SELECT name FROM item WHERE weight > 4);',
    'DELETE FROM orders WHERE day % 7 = 3 AND qty < 10;',
    'COMMIT;',
    'SELECT count(*), printf("%.2f", sum(price)), sum(qty) FROM orders;',
    'PRAGMA integrity_check;',
  );
  return q.join('\n') + '\n';
}
