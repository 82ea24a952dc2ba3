-- 中国人民银行深圳市分行: large-value and suspicious transaction reports (大额和可疑交易报告)
-- filed by banks, by account holder; amounts in fen.
CREATE TABLE IF NOT EXISTS transaction_reports (
  report_no TEXT PRIMARY KEY, holder_id TEXT NOT NULL, kind TEXT NOT NULL, day TEXT NOT NULL,
  amount_fen INTEGER NOT NULL, counterparty TEXT NOT NULL);
INSERT INTO transaction_reports VALUES
  ('LT2026090300117', '91440300MA5D1X2Q9B', 'large', '2026-09-03', 480000000, '91440300MA5EKL3R5J'),
  ('ST2026091100042', '91440300MA5D1X2Q9B', 'suspicious', '2026-09-11', 476000000, '91440300MA5FNP7T5R'),
  ('LT2026100800231', '91440300MA5EKL3R5J', 'large', '2026-10-08', 495000000, '91440300MA5FNP7T5R');
