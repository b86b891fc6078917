resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}

data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_outbound_campaign" "renewals" {
  name     = "Renewals"
  queue_id = genesyscloud_routing_queue.sales.id
}

resource "genesyscloud_outbound_campaign" "support" {
  name     = "Support callbacks"
  queue_id = data.genesyscloud_routing_queue.support.id
}
