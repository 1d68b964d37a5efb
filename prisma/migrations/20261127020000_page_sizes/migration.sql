-- Page sizes learned from Meta's "reduce the amount of data" answers, per edge and field list.
CREATE TABLE "meta_page_sizes" (
    "edge" TEXT NOT NULL,
    "fields_hash" TEXT NOT NULL,
    "page_size" INTEGER NOT NULL,
    "learned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meta_page_sizes_pkey" PRIMARY KEY ("edge","fields_hash")
);
