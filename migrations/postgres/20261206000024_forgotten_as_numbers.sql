-- What a member who used /forgetme leaves in the reports: numbers, nobody
-- (see storage/src/sql/erasure.rs and bot/src/report/). `forgotten_people`
-- only hands out a number per erasure, so that one person's visits count as
-- one coworker; it names no one and links to nothing that is left.
CREATE TABLE forgotten_people (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);
-- Their check-ins: where and when, no note.
CREATE TABLE forgotten_visits (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id     BIGINT REFERENCES spaces(id) ON DELETE CASCADE,
    local_date   DATE NOT NULL,
    person       BIGINT NOT NULL REFERENCES forgotten_people(id) ON DELETE CASCADE
);
CREATE INDEX forgotten_visits_day ON forgotten_visits(community_id, local_date);
-- Their seat requests, and the requests on offers they hosted (which go
-- with the offers): the offer's place and day, how it ended.
CREATE TABLE forgotten_requests (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id     BIGINT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    local_date   DATE NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL,
    state        TEXT NOT NULL,
    claimed      BOOLEAN NOT NULL
);
CREATE INDEX forgotten_requests_day ON forgotten_requests(community_id, local_date);
-- The seats of offers they hosted and did not withdraw.
CREATE TABLE forgotten_offers (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id     BIGINT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    local_date   DATE NOT NULL,
    seats        BIGINT NOT NULL
);
CREATE INDEX forgotten_offers_day ON forgotten_offers(community_id, local_date);
-- Their places in rounds: which introduction, and whether it was confirmed
-- met, so that an introduction counts even when all of it was erased.
CREATE TABLE forgotten_placements (
    round_id BIGINT NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
    group_no BIGINT NOT NULL,
    met      BOOLEAN NOT NULL
);
CREATE INDEX forgotten_placements_round ON forgotten_placements(round_id);
