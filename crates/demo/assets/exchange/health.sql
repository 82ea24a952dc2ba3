-- 深圳市医疗保障局: medical costs borne by the insured after reimbursement, by year, fen.
CREATE TABLE IF NOT EXISTS medical_costs (
  resident_id TEXT NOT NULL, year INTEGER NOT NULL, self_paid_fen INTEGER NOT NULL);
INSERT INTO medical_costs VALUES
  ('440305199003071236', 2026, 320000),
  ('440306198501010067', 2026, 6150000);
