CREATE TABLE "bed_inventory"."unit_counts" (
	"institution_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"attributes" jsonb NOT NULL,
	"status" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "unit_counts_institution_id_kind_attributes_status_pk" PRIMARY KEY("institution_id","kind","attributes","status"),
	CONSTRAINT "unit_counts_count_check" CHECK (count >= 0)
);
--> statement-breakpoint
ALTER TABLE "bed_inventory"."unit_counts" ADD CONSTRAINT "unit_counts_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "bed_inventory"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The counts of the units already registered: from now on every unit change keeps them in its own transaction.
INSERT INTO "bed_inventory"."unit_counts" ("institution_id", "kind", "attributes", "status", "count")
SELECT "institution_id", "kind", "attributes", "status", count(*)::int FROM "bed_inventory"."units" GROUP BY "institution_id", "kind", "attributes", "status";
