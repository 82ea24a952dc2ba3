-- 深圳市住房公积金管理中心: first-home loans and registered rentals (住房租赁登记备案).
CREATE TABLE IF NOT EXISTS home_loans (
  resident_id TEXT NOT NULL, contract_no TEXT NOT NULL, lender TEXT NOT NULL,
  first_home INTEGER NOT NULL, since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rentals (
  resident_id TEXT NOT NULL, city TEXT NOT NULL, tier INTEGER NOT NULL, since TEXT NOT NULL);
INSERT INTO home_loans VALUES
  ('440305199003071236', 'GJJ-SZ-2021-0088412', '招商银行深圳分行', 1, '2021-06');
INSERT INTO rentals VALUES
  ('440304199211080042', '深圳', 1, '2025-07');
