-- 国家税务总局深圳市税务局: the bureau's own extract (taxpayer register and risk flags).
CREATE TABLE IF NOT EXISTS taxpayers (
  uscc TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, registered TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS risk_flags (
  uscc TEXT NOT NULL, flag TEXT NOT NULL, raised TEXT NOT NULL);
INSERT INTO taxpayers VALUES
  ('914403001922038216', '华为技术有限公司', 'normal', '1987-09-15'),
  ('91440300MA5D1X2Q9B', '深圳市甲乙贸易有限公司', 'normal', '2019-03-02'),
  ('91440300MA5EKL3R5J', '深圳市丙丁科技有限公司', 'normal', '2019-05-21'),
  ('91440300MA5FNP7T5R', '深圳市戊己商务咨询有限公司', 'normal', '2019-08-30');
INSERT INTO risk_flags VALUES
  ('91440300MA5D1X2Q9B', 'circular_invoicing', '2026-11-02');
