DROP INDEX `objects_node`;--> statement-breakpoint
DROP INDEX `objects_owner`;--> statement-breakpoint
ALTER TABLE `objects` ADD `required_anti_affinity` integer;--> statement-breakpoint
CREATE INDEX `objects_anti_affinity` ON `objects` (`required_anti_affinity`,`kind`,`namespace`,`name`) WHERE "objects"."required_anti_affinity" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `objects_node` ON `objects` (`node_name`,`kind`,`namespace`,`name`) WHERE "objects"."node_name" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `objects_owner` ON `objects` (`kind`,`namespace`,`owner_uid`,`name`);--> statement-breakpoint
-- Written by hand (drizzle-kit does not fill columns): the pods stored before this migration.
UPDATE `objects` SET `required_anti_affinity` = 1 WHERE `kind` = 'Pod' AND json_array_length(json_extract(`body`, '$.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution')) > 0;
