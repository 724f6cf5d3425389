-- The audit trail of an object or an actor is read newest first: indexed by object and by actor with the log's order.
DROP INDEX "medical_insurance"."audit_object_idx";--> statement-breakpoint
DROP INDEX "medical_insurance"."audit_actor_idx";--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "medical_insurance"."audit_log" USING btree ("object_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "medical_insurance"."audit_log" USING btree ("actor","seq");
