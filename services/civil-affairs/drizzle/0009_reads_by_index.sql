-- The audit trail of an object or an actor is read newest first: indexed by object and by actor with the log's order. An elder's open assessment requests are found by index.
DROP INDEX "civil_affairs"."audit_object_idx";--> statement-breakpoint
DROP INDEX "civil_affairs"."audit_actor_idx";--> statement-breakpoint
CREATE INDEX "assessment_requests_open_elder_idx" ON "civil_affairs"."assessment_requests" USING btree ("elder_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "civil_affairs"."audit_log" USING btree ("object_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "civil_affairs"."audit_log" USING btree ("actor","seq");
