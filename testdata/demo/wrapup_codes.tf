resource "genesyscloud_routing_wrapupcode" "standard" {
  for_each    = var.standard_codes
  name        = each.value
  description = "Standard outcome: ${each.value}"
}

resource "genesyscloud_routing_wrapupcode" "sale" {
  name        = "Sale"
  description = "Policy sold"
}

resource "genesyscloud_routing_wrapupcode" "not_interested" {
  name        = "Not Interested"
  description = "Customer declined"
}

# Added for the fraud team; nobody wired it to a queue yet.
resource "genesyscloud_routing_wrapupcode" "fraud_suspected" {
  name = "Fraud Suspected"
}
