-- 深圳海关: export declarations (出口报关单) by exporter and month, FOB in fen.
CREATE TABLE IF NOT EXISTS export_declarations (
  declaration_no TEXT PRIMARY KEY, exporter_uscc TEXT NOT NULL, month TEXT NOT NULL,
  goods TEXT NOT NULL, fob_fen INTEGER NOT NULL, port TEXT NOT NULL);
INSERT INTO export_declarations VALUES
  ('531620260000481207', '91440300MA5D1X2Q9B', '2026-08', '电子元器件', 486000000, '皇岗'),
  ('531620260000512266', '91440300MA5D1X2Q9B', '2026-09', '电子元器件', 512500000, '皇岗'),
  ('531620260000577310', '91440300MA5D1X2Q9B', '2026-10', '电子元器件', 530000000, '文锦渡'),
  ('531620260000401998', '914403001922038216', '2026-09', '通信设备', 9875000000, '盐田');
