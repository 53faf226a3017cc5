ALTER TABLE `node_agents` ADD `report_boot` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `node_agents` ADD `report_sequence` integer DEFAULT 0 NOT NULL;