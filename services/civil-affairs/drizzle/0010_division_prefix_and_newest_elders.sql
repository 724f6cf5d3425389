-- An elder scope is a division prefix (LIKE '3717%'): indexed with text_pattern_ops, the index serves it under any collation of the server, not only C (the tanfang month list too). The register lists the newest elders first: an index on (created_at, id), read backward.
DROP INDEX "civil_affairs"."elders_division_idx";--> statement-breakpoint
DROP INDEX "civil_affairs"."tanfang_month_division_idx";--> statement-breakpoint
CREATE INDEX "elders_created_idx" ON "civil_affairs"."elders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "elders_division_idx" ON "civil_affairs"."elders" USING btree ("division_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tanfang_month_division_idx" ON "civil_affairs"."tanfang" USING btree ("month","division_code" text_pattern_ops);