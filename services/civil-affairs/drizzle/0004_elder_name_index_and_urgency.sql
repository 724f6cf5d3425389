ALTER TABLE "civil_affairs"."assessment_requests" ADD COLUMN "urgency" text DEFAULT 'routine' NOT NULL;--> statement-breakpoint
ALTER TABLE "civil_affairs"."elders" ADD COLUMN "name_hash" text;--> statement-breakpoint
CREATE INDEX "elders_name_hash_idx" ON "civil_affairs"."elders" USING btree ("name_hash");