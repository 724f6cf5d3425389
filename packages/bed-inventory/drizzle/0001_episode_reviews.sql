CREATE TABLE "bed_inventory"."episode_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stay_id" uuid NOT NULL,
	"condition" text NOT NULL,
	"decision" text NOT NULL,
	"reviewed_by" text NOT NULL,
	"reviewed_by_name" text,
	"reviewed_at" timestamp with time zone NOT NULL,
	"next_review_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bed_inventory"."episode_reviews" ADD CONSTRAINT "episode_reviews_stay_id_stays_id_fk" FOREIGN KEY ("stay_id") REFERENCES "bed_inventory"."stays"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "episode_reviews_stay_idx" ON "bed_inventory"."episode_reviews" USING btree ("stay_id","reviewed_at");