resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "callback" {
  name = "Callback Requested"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

# Queues that may offer any code: one leaves its codes to the org, one names a raw id that
# cannot be checked without `--state`. The finding stays (information), and says so.
resource "genesyscloud_routing_queue" "billing" {
  name = "Billing"
}

resource "genesyscloud_routing_queue" "sales" {
  name         = "Sales"
  wrapup_codes = ["7d7e37e7-962c-4eae-a5ac-fed5955e4681"]
}

# A code made inside a module: queues outside reach it through an output.
module "codes" {
  source = "./modules/codes"
}
