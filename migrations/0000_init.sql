CREATE TABLE `bootstrap_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`expires_at` integer,
	`usages_left` integer,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `node_agents` (
	`name` text PRIMARY KEY NOT NULL,
	`credential_id` text NOT NULL,
	`credential_hash` text NOT NULL,
	`lease_renewed_at` integer NOT NULL,
	`ready` text NOT NULL,
	`status_digest` text NOT NULL,
	`pods_version` integer NOT NULL,
	`enrolled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `node_agents_credential` ON `node_agents` (`credential_id`);--> statement-breakpoint
CREATE INDEX `node_agents_lease` ON `node_agents` (`ready`,`lease_renewed_at`);--> statement-breakpoint
CREATE TABLE `objects` (
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`uid` text NOT NULL,
	`resource_version` integer NOT NULL,
	`created_version` integer NOT NULL,
	`node_name` text,
	`owner_uid` text,
	`expires_at` integer,
	`body` text NOT NULL,
	PRIMARY KEY(`kind`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objects_uid` ON `objects` (`uid`);--> statement-breakpoint
CREATE INDEX `objects_kind_version` ON `objects` (`kind`,`resource_version`);--> statement-breakpoint
CREATE INDEX `objects_node` ON `objects` (`node_name`) WHERE "objects"."node_name" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `objects_owner` ON `objects` (`owner_uid`) WHERE "objects"."owner_uid" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `objects_expiry` ON `objects` (`expires_at`) WHERE "objects"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `tombstones` (
	`resource_version` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`deleted_at` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tombstones_kind_version` ON `tombstones` (`kind`,`resource_version`);--> statement-breakpoint
CREATE INDEX `tombstones_deleted` ON `tombstones` (`deleted_at`);--> statement-breakpoint
CREATE TABLE `write_guard` (
	`precondition` integer NOT NULL
);
