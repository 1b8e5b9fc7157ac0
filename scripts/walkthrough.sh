#!/usr/bin/env bash
# A pledge from start to finish through the gateway, as the README tells it: the office records a patent, the
# evaluator anchors its valuation report, the bank prepares the application, the patentee and the bank sign it with
# their own keys, the bank submits, the office registers, a second bank checks the collateral, the bank releases it.
#
# Needs a running `npm start` (or any gateway), curl and jq. The API keys and demo signing keys are the ones
# `npm start` printed:
#   OFFICE_KEY BANK_KEY BANK_B_KEY EVALUATOR_KEY   API keys
#   BANK_SIGNER EVALUATOR_SIGNER                   the bank's and the evaluator's own signing keys
#   GATEWAY (default http://127.0.0.1:8080/v1)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OFFICE_KEY:?}" "${BANK_KEY:?}" "${BANK_B_KEY:?}" "${EVALUATOR_KEY:?}" "${BANK_SIGNER:?}" "${EVALUATOR_SIGNER:?}"
GATEWAY=${GATEWAY:-http://127.0.0.1:8080/v1}

api() { # api KEY METHOD PATH [JSON]
  local out
  out=$(curl -sS -X "$2" "$GATEWAY$3" -H "Authorization: Bearer $1" -H 'content-type: application/json' ${4:+-d "$4"})
  if echo "$out" | jq -e 'type == "object" and has("error")' >/dev/null; then
    echo "  refused: $(echo "$out" | jq -c .error)" >&2
    exit 1
  fi
  echo "$out"
}
sign() { SIGNER_PRIVATE_KEY=$1 npm run -s sign -- typed-data; } # typed data on stdin
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# The patentee has no API key: it is a company with its own wallet. (A fresh one, for the demo.)
PATENTEE_SIGNER=$(node -e "console.log('0x' + require('crypto').randomBytes(32).toString('hex'))")
PATENTEE=$(node -e "console.log(new (require('ethers').Wallet)(process.argv[1]).address)" "$PATENTEE_SIGNER")
NUMBER="ZL2021$(date +%s | tail -c 8).6"
NOW=$(date +%s)

echo "1. The office records patent $NUMBER, held by $PATENTEE"
ASSET=$(api "$OFFICE_KEY" POST /assets "{\"kind\":\"InventionPatent\",\"officialNumber\":\"$NUMBER\",
  \"holders\":[{\"address\":\"$PATENTEE\",\"shareBps\":10000}],\"grantDate\":\"$(iso $((NOW - 400 * 86400)))\",
  \"expiryDate\":\"$(iso $((NOW + 15 * 365 * 86400)))\",\"feesPaidUntil\":\"$(iso $((NOW + 365 * 86400)))\"}" | jq -r .assetId)
echo "   asset $ASSET"

echo "2. The evaluator uploads its report and anchors it with its own signature"
REPORT_FILE=$(mktemp)
echo "Valuation of $NUMBER: 25,000,000.00 CNY (income method), $(iso "$NOW")" >"$REPORT_FILE"
DOC=$(curl -sS -X POST "$GATEWAY/documents" -H "Authorization: Bearer $EVALUATOR_KEY" -H 'content-type: text/plain' \
  --data-binary @"$REPORT_FILE" | jq -r .documentHash)
TD=$(api "$EVALUATOR_KEY" POST /valuations/typed-data "{\"documentHash\":\"$DOC\",\"assetIds\":[\"$ASSET\"],
  \"value\":\"2500000000\",\"currency\":\"CNY\",\"method\":\"Income\",\"valuationDate\":\"$(iso $((NOW - 86400)))\",
  \"validUntil\":\"$(iso $((NOW + 365 * 86400)))\"}")
SIG=$(echo "$TD" | jq .typedData | sign "$EVALUATOR_SIGNER")
api "$EVALUATOR_KEY" POST /valuations "$(echo "$TD" | jq --arg s "$SIG" \
  '{report, signature: $s, nonce: .typedData.message.nonce, deadline: .typedData.message.deadline}')" >/dev/null
echo "   report $DOC anchored"

echo "3. The bank prepares the application; each party gets its own typed data"
DRAFT=$(api "$BANK_KEY" POST /pledges/applications "{\"assets\":[\"$ASSET\"],\"pledgors\":[\"$PATENTEE\"],
  \"debtor\":\"91440101MA5CXYZ12K\",\"principal\":\"1000000000\",\"currency\":\"CNY\",\"startDate\":\"$(iso "$NOW")\",
  \"maturityDate\":\"$(iso $((NOW + 365 * 86400)))\",\"contractHash\":\"$DOC\",\"valuationReportId\":\"$DOC\",
  \"forfeitureClause\":false,\"invalidationAcknowledged\":false}")
DRAFT_ID=$(echo "$DRAFT" | jq -r .draftId)
echo "   draft $DRAFT_ID; preflight now: $(echo "$DRAFT" | jq -c '[.preflight[].reason]')"

echo "4. The patentee and the bank sign with their own keys; anyone relays the signatures"
for signer in "$PATENTEE:$PATENTEE_SIGNER" "$(echo "$DRAFT" | jq -r '.signers[] | select(.role=="pledgee") | .address'):$BANK_SIGNER"; do
  address=${signer%%:*} key=${signer#*:}
  sig=$(echo "$DRAFT" | jq --arg a "$address" '.signers[] | select(.address==$a) | .typedData' | sign "$key")
  api "$BANK_KEY" POST "/pledges/applications/$DRAFT_ID/signatures" "{\"signer\":\"$address\",\"signature\":\"$sig\"}" >/dev/null
done

echo "5. The bank submits; the office sees it in its queue and registers it"
PLEDGE=$(api "$BANK_KEY" POST "/pledges/applications/$DRAFT_ID/submit" | jq -r .pledgeId)
echo "   in the office's queue: $(api "$OFFICE_KEY" GET /pledges/queue |
  jq -c --arg id "$PLEDGE" '.applications[] | select(.pledgeId == $id) | {pledgeId, failures: [.failures[].reason]}')"
api "$OFFICE_KEY" POST "/pledges/$PLEDGE/register" >/dev/null
echo "   pledge $PLEDGE registered"

echo "6. A second bank asks about the asset"
api "$BANK_B_KEY" GET "/collateral/$ASSET" | jq -c '{pledged, pledge: (.pledge | {pledgeId, pledgee, principal, currency, maturityDate, valuationVerdict, registration})}'

echo "7. The bank releases the pledge with its own signature; the asset is free again"
REL=$(api "$BANK_KEY" POST "/pledges/$PLEDGE/release/typed-data")
SIGS=$(echo "$REL" | jq -c '[.signers[] | {signer: .address, nonce: .typedData.message.nonce, deadline: .typedData.message.deadline, typedData}]')
SIGNATURES=$(echo "$SIGS" | jq -c '.[]' | while read -r s; do
  echo "$s" | jq --arg sig "$(echo "$s" | jq .typedData | sign "$BANK_SIGNER")" '{signer, nonce, deadline, signature: $sig}'
done | jq -sc .)
api "$BANK_KEY" POST "/pledges/$PLEDGE/release" "{\"signatures\":$SIGNATURES}" >/dev/null
api "$BANK_B_KEY" GET "/collateral/$ASSET" | jq -c '{pledged}'
echo "Done: recorded, valued, applied, signed, registered, checked, released — all paperless."
