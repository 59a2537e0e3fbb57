-- A store written by MMM Planner at commit 1d89ffc, before schema revisions (schema_version 1).
-- Made with that commit's own code (git archive 1d89ffc mmm; PYTHONPATH to it) and sqlite3 iterdump:
-- 1 zone, 3 perimeters, 40 incidents (1 undated), 2 users, 1 partner with 1 assignment, 2 labels.
BEGIN TRANSACTION;
CREATE TABLE assignments (
	id INTEGER NOT NULL, 
	partner_id INTEGER NOT NULL, 
	perimeter_id INTEGER NOT NULL, 
	phenomenon VARCHAR(100) NOT NULL, 
	responsibility VARCHAR(20) NOT NULL, 
	description TEXT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_assignment UNIQUE (partner_id, perimeter_id, phenomenon), 
	FOREIGN KEY(partner_id) REFERENCES partners (id), 
	FOREIGN KEY(perimeter_id) REFERENCES perimeters (id), 
	FOREIGN KEY(phenomenon) REFERENCES phenomena (code)
);
INSERT INTO "assignments" VALUES(1,1,1,'drugs','lead','straathoekwerk');
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at VARCHAR(32) NOT NULL, 
	actor VARCHAR(100) NOT NULL, 
	action VARCHAR(50) NOT NULL, 
	entity VARCHAR(50) NOT NULL, 
	entity_id VARCHAR(100), 
	detail TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "audit_events" VALUES(1,'2026-11-23T22:54:36+00:00','cli:anna','import','zone','1','{"imported": 1, "read": 1, "rejected": 0, "source": "zone.gpkg"}');
INSERT INTO "audit_events" VALUES(2,'2026-11-23T22:54:36+00:00','cli:anna','import','perimeters','2','{"imported": 3, "read": 3, "rejected": 0, "source": "perimeters.gpkg"}');
INSERT INTO "audit_events" VALUES(3,'2026-11-23T22:54:36+00:00','cli:anna','import','incidents','3','{"imported": 40, "read": 42, "rejected": 2, "source": "incidents.csv"}');
INSERT INTO "audit_events" VALUES(4,'2026-11-23T22:54:36+00:00','cli','create','user','1','{"role": "analyst"}');
INSERT INTO "audit_events" VALUES(5,'2026-11-23T22:54:36+00:00','cli','create','partner','1','{"type": "prevention_service"}');
INSERT INTO "audit_events" VALUES(6,'2026-11-23T22:54:36+00:00','cli','create','user','2','{"role": "partner"}');
INSERT INTO "audit_events" VALUES(7,'2026-11-23T22:54:36+00:00','cli','assign','partner','1','{"perimeter": 1, "phenomenon": "drugs", "role": "lead"}');
INSERT INTO "audit_events" VALUES(8,'2026-11-23T22:54:36+00:00','cli','label','phenomenon','drugs','{"language": "fr"}');
INSERT INTO "audit_events" VALUES(9,'2026-11-23T22:54:36+00:00','cli','label','perimeter','2','{"language": "de"}');
INSERT INTO "audit_events" VALUES(10,'2026-11-23T22:54:36+00:00','cli:anna','export','counts','','{"purpose": "analysis", "rows": 12}');
CREATE TABLE import_batches (
	id INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	source TEXT NOT NULL, 
	actor VARCHAR(100) NOT NULL, 
	started_at VARCHAR(32) NOT NULL, 
	rows_read INTEGER NOT NULL, 
	rows_imported INTEGER NOT NULL, 
	rows_rejected INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "import_batches" VALUES(1,'zone','zone.gpkg','cli:anna','2026-11-23T22:54:36+00:00',1,1,0);
INSERT INTO "import_batches" VALUES(2,'perimeters','perimeters.gpkg','cli:anna','2026-11-23T22:54:36+00:00',3,3,0);
INSERT INTO "import_batches" VALUES(3,'incidents','incidents.csv','cli:anna','2026-11-23T22:54:36+00:00',42,40,2);
CREATE TABLE incidents (
	id INTEGER NOT NULL, 
	source_id VARCHAR(200) NOT NULL, 
	phenomenon VARCHAR(100) NOT NULL, 
	occurred VARCHAR(19), 
	x FLOAT NOT NULL, 
	y FLOAT NOT NULL, 
	batch_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_incidents_source_id UNIQUE (source_id), 
	FOREIGN KEY(phenomenon) REFERENCES phenomena (code), 
	FOREIGN KEY(batch_id) REFERENCES import_batches (id)
);
INSERT INTO "incidents" VALUES(1,'PV-0000','burglary_dwelling','2024-06-19T04:10:45',171302.8,173077.39,3);
INSERT INTO "incidents" VALUES(2,'PV-0001','vandalism','2024-03-19T14:06:15',173141.0,175283.72,3);
INSERT INTO "incidents" VALUES(3,'PV-0002','burglary_dwelling','2024-11-04T10:57:54',172029.37,174156.98,3);
INSERT INTO "incidents" VALUES(4,'PV-0003','burglary_dwelling',NULL,173041.45,173041.66,3);
INSERT INTO "incidents" VALUES(5,'PV-0004','vandalism','2024-11-08T23:15:19',172419.15,175152.17,3);
INSERT INTO "incidents" VALUES(6,'PV-0005','burglary_dwelling','2024-08-11T13:50:48',172725.31,174424.72,3);
INSERT INTO "incidents" VALUES(7,'PV-0006','burglary_dwelling','2024-02-11T20:53:22',170774.49,174209.08,3);
INSERT INTO "incidents" VALUES(8,'PV-0007','drugs','2024-01-17T00:55:55',172123.43,173628.86,3);
INSERT INTO "incidents" VALUES(9,'PV-0008','drugs','2024-06-11T08:05:08',172023.32,173732.87,3);
INSERT INTO "incidents" VALUES(10,'PV-0009','drugs','2024-01-14T00:33:33',173114.02,173218.47,3);
INSERT INTO "incidents" VALUES(11,'PV-0010','drugs','2024-02-21T16:02:38',171583.79,172614.17,3);
INSERT INTO "incidents" VALUES(12,'PV-0011','burglary_dwelling','2024-07-06T22:25:33',172294.55,175128.66,3);
INSERT INTO "incidents" VALUES(13,'PV-0012','burglary_dwelling','2024-12-20T03:31:06',170677.75,173903.19,3);
INSERT INTO "incidents" VALUES(14,'PV-0013','drugs','2024-06-19T03:57:53',171662.9,174142.91,3);
INSERT INTO "incidents" VALUES(15,'PV-0014','vandalism','2024-10-22T01:59:21',171469.11,173466.49,3);
INSERT INTO "incidents" VALUES(16,'PV-0015','burglary_dwelling','2024-11-30T18:23:22',170950.6,174753.97,3);
INSERT INTO "incidents" VALUES(17,'PV-0016','drugs','2024-10-27T13:32:10',172949.01,172575.59,3);
INSERT INTO "incidents" VALUES(18,'PV-0017','burglary_dwelling','2024-08-17T16:01:19',171638.34,173616.56,3);
INSERT INTO "incidents" VALUES(19,'PV-0018','drugs','2024-06-10T02:38:40',173436.24,172591.05,3);
INSERT INTO "incidents" VALUES(20,'PV-0019','vandalism','2024-07-06T15:40:14',172269.98,172868.68,3);
INSERT INTO "incidents" VALUES(21,'PV-0020','burglary_dwelling','2024-04-07T04:31:31',172315.17,175401.44,3);
INSERT INTO "incidents" VALUES(22,'PV-0021','drugs','2024-06-30T08:36:40',172413.99,174473.28,3);
INSERT INTO "incidents" VALUES(23,'PV-0022','vandalism','2024-05-18T11:20:08',172529.35,173784.66,3);
INSERT INTO "incidents" VALUES(24,'PV-0023','drugs','2024-03-31T08:13:50',170952.36,174071.22,3);
INSERT INTO "incidents" VALUES(25,'PV-0024','burglary_dwelling','2024-12-28T12:53:02',171820.94,175118.43,3);
INSERT INTO "incidents" VALUES(26,'PV-0025','drugs','2024-01-05T07:18:56',171218.69,173532.63,3);
INSERT INTO "incidents" VALUES(27,'PV-0026','burglary_dwelling','2024-02-05T11:24:22',171707.49,174270.87,3);
INSERT INTO "incidents" VALUES(28,'PV-0027','vandalism','2024-03-11T05:26:34',170790.11,174551.05,3);
INSERT INTO "incidents" VALUES(29,'PV-0028','vandalism','2024-12-19T16:35:57',173403.48,173566.24,3);
INSERT INTO "incidents" VALUES(30,'PV-0029','vandalism','2024-09-09T14:12:04',171145.01,174057.3,3);
INSERT INTO "incidents" VALUES(31,'PV-0030','vandalism','2024-11-17T20:56:56',172515.3,174795.74,3);
INSERT INTO "incidents" VALUES(32,'PV-0031','vandalism','2024-03-14T05:18:53',171401.26,175227.54,3);
INSERT INTO "incidents" VALUES(33,'PV-0032','vandalism','2024-09-20T03:45:08',173122.23,172953.19,3);
INSERT INTO "incidents" VALUES(34,'PV-0033','burglary_dwelling','2024-05-14T21:08:17',172486.64,175300.26,3);
INSERT INTO "incidents" VALUES(35,'PV-0034','burglary_dwelling','2024-06-27T11:46:00',170894.85,172515.54,3);
INSERT INTO "incidents" VALUES(36,'PV-0035','burglary_dwelling','2024-01-02T08:42:43',173035.22,174758.93,3);
INSERT INTO "incidents" VALUES(37,'PV-0036','burglary_dwelling','2024-08-13T09:40:02',173334.84,174931.58,3);
INSERT INTO "incidents" VALUES(38,'PV-0037','vandalism','2024-10-29T23:13:05',173211.75,172910.29,3);
INSERT INTO "incidents" VALUES(39,'PV-0038','vandalism','2024-08-30T05:55:07',172209.16,173756.71,3);
INSERT INTO "incidents" VALUES(40,'PV-0039','burglary_dwelling','2024-02-26T09:04:44',170936.38,174945.77,3);
CREATE TABLE labels (
	kind VARCHAR(20) NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	language VARCHAR(5) NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	PRIMARY KEY (kind, "key", language)
);
INSERT INTO "labels" VALUES('phenomenon','drugs','fr','Drogues');
INSERT INTO "labels" VALUES('perimeter','2','de','Marktplatz');
CREATE TABLE partner_types (
	code VARCHAR(50) NOT NULL, 
	PRIMARY KEY (code)
);
INSERT INTO "partner_types" VALUES('prevention_service');
CREATE TABLE partners (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	type VARCHAR(50) NOT NULL, 
	contact VARCHAR(200) NOT NULL, 
	active INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	FOREIGN KEY(type) REFERENCES partner_types (code)
);
INSERT INTO "partners" VALUES(1,'Preventiedienst Oudstad','prevention_service','preventie@oudstad.example',1);
CREATE TABLE perimeters (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	version INTEGER NOT NULL, 
	geom BLOB NOT NULL, 
	batch_id INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	FOREIGN KEY(batch_id) REFERENCES import_batches (id)
);
INSERT INTO "perimeters" VALUES(1,'Stationsbuurt','rond het station','active',1,X'010300000001000000050000000000000000FF044100000000401E05410000000000FF044100000000803D054100000000C0DF044100000000803D054100000000C0DF044100000000401E05410000000000FF044100000000401E0541',2);
INSERT INTO "perimeters" VALUES(2,'Markt','','active',1,X'0103000000010000000400000000000000A00E054100000000204D054100000000E02D054100000000204D054100000000401E0541000000004069054100000000A00E054100000000204D0541',2);
INSERT INTO "perimeters" VALUES(3,'Parkwijk','met de school','active',1,X'0103000000010000000500000000000000A00E054100000000E02D054100000000A00E054100000000204D05410000000060EF044100000000204D05410000000060EF044100000000E02D054100000000A00E054100000000E02D0541',2);
CREATE TABLE phenomena (
	code VARCHAR(100) NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	PRIMARY KEY (code)
);
INSERT INTO "phenomena" VALUES('burglary_dwelling','burglary_dwelling');
INSERT INTO "phenomena" VALUES('vandalism','vandalism');
INSERT INTO "phenomena" VALUES('drugs','drugs');
CREATE TABLE schema_version (
	version INTEGER NOT NULL, 
	applied_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (version)
);
INSERT INTO "schema_version" VALUES(1,'2026-11-23T22:54:36+00:00');
CREATE TABLE users (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	password_hash VARCHAR(300) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	partner VARCHAR(200), 
	language VARCHAR(5) NOT NULL, 
	active INTEGER NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "users" VALUES(1,'anna','scrypt:32768:8:1$f14ncwo1TQiwnVJP$e0712a06cc3292ac589eb9f214390967750704a6778d89ecffc36e3a1d7415824dfcf5d95516014cfa2143e6b2952acaec106b49ff98d23beea2283cc3266d3a','analyst',NULL,'fr',1,'2026-11-23T22:54:36+00:00');
INSERT INTO "users" VALUES(2,'piet','scrypt:32768:8:1$QCenbvJRpQ0pnZ7y$861b2eed7cca631060e16811046aea36cc0aa2982caebfbc7af5de6bee485af8b183e96a94d732d772ad496cf958bc18f841066b2a27ec8ec4aa0b43a00384f5','partner','Preventiedienst Oudstad','nl',1,'2026-11-23T22:54:36+00:00');
CREATE TABLE zone (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	geom BLOB NOT NULL, 
	batch_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(batch_id) REFERENCES import_batches (id)
);
INSERT INTO "zone" VALUES(1,'PZ Oudstad',X'0103000000010000000500000000000000803D05410000000000FF044100000000803D054100000000007C05410000000080C0044100000000007C05410000000080C004410000000000FF044100000000803D05410000000000FF0441',1);
COMMIT;
