-- 深圳市公安局: the household register (户籍), vehicle registrations, family relations.
-- Identifiers are GB 11643 check-digit-valid resident IDs invented for the demo.
CREATE TABLE IF NOT EXISTS residents (
  resident_id TEXT PRIMARY KEY, name TEXT NOT NULL, birth_date TEXT NOT NULL,
  household_no TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relations (
  resident_id TEXT NOT NULL, relation TEXT NOT NULL, relative_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vehicles (
  plate TEXT PRIMARY KEY, vin TEXT NOT NULL, owner_id TEXT NOT NULL, registered TEXT NOT NULL);
INSERT INTO residents VALUES
  ('440305199003071236', '李伟', '1990-03-07', 'SZ-NS-0031207', 'registered'),
  ('440305201805154324', '李小明', '2018-05-15', 'SZ-NS-0031207', 'registered'),
  ('440305195809120019', '李建国', '1958-09-12', 'SZ-NS-0008841', 'registered'),
  ('440305196104200021', '王秀兰', '1961-04-20', 'SZ-NS-0008841', 'registered'),
  ('440304199211080042', '李娜', '1992-11-08', 'SZ-FT-0102215', 'registered'),
  ('440306198501010067', '赵强', '1985-01-01', 'SZ-BA-0450093', 'registered');
INSERT INTO relations VALUES
  ('440305199003071236', 'child', '440305201805154324'),
  ('440305199003071236', 'father', '440305195809120019'),
  ('440305199003071236', 'mother', '440305196104200021'),
  ('440305199003071236', 'sibling', '440304199211080042'),
  ('440304199211080042', 'father', '440305195809120019'),
  ('440304199211080042', 'mother', '440305196104200021');
INSERT INTO vehicles VALUES
  ('粤B8K2M6', 'LFV2A215H3012345', '440305199003071236', '2021-04-18'),
  ('粤BQ7731', 'LGBH52E05LY100001', '440306198501010067', '2020-06-01');
