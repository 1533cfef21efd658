CREATE TABLE "idempotency_keys" (
	"organisation_id" text NOT NULL,
	"route" text NOT NULL,
	"key" text NOT NULL,
	"part" integer NOT NULL,
	"request_hash" text NOT NULL,
	"answer" json NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_organisation_id_route_key_part_pk" PRIMARY KEY("organisation_id","route","key","part")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_organisation_expires_idx" ON "idempotency_keys" USING btree ("organisation_id","expires_at");