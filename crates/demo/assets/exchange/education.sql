-- 深圳市教育局: school enrolment (学籍).
CREATE TABLE IF NOT EXISTS enrolment (
  child_id TEXT NOT NULL, school TEXT NOT NULL, stage TEXT NOT NULL, since TEXT NOT NULL);
INSERT INTO enrolment VALUES
  ('440305201805154324', '深圳市南山区第二实验学校', 'primary', '2024-09-01');
