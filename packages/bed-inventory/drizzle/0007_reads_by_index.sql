-- The audit trail of an object or an actor is read newest first: indexed by object and by actor with the log's order. A provider's active holds and a stay's transfers are read by index.
DROP INDEX "bed_inventory"."audit_object_idx";--> statement-breakpoint
DROP INDEX "bed_inventory"."audit_actor_idx";--> statement-breakpoint
CREATE INDEX "holds_active_institution_idx" ON "bed_inventory"."holds" USING btree ("institution_id","expires_at") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "transfers_stay_idx" ON "bed_inventory"."transfers" USING btree ("stay_id","requested_at");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "bed_inventory"."audit_log" USING btree ("object_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "bed_inventory"."audit_log" USING btree ("actor","seq");
