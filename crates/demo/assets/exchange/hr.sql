-- 深圳市人力资源和社会保障局: continuing education (职业资格证书 and degree study).
CREATE TABLE IF NOT EXISTS continuing_education (
  resident_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, year INTEGER NOT NULL);
INSERT INTO continuing_education VALUES
  ('440305199003071236', 'certificate', '注册会计师 (CPA) 全科合格证', 2026);
