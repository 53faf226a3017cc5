CREATE TABLE `config_refs` (
	`pod_uid` text NOT NULL,
	`node_name` text NOT NULL,
	`namespace` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`pod_uid`, `kind`, `name`)
);
--> statement-breakpoint
CREATE INDEX `config_refs_target` ON `config_refs` (`namespace`,`kind`,`name`);--> statement-breakpoint
CREATE INDEX `config_refs_node` ON `config_refs` (`node_name`);