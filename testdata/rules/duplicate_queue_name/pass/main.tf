# Names of their own, also for each call of a module.
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support_emea" {
  name = "Support EMEA"
}

module "team_a" {
  source = "./modules/queues"
  team   = "A"
}

module "team_b" {
  source = "./modules/queues"
  team   = "B"
}

# A lookup of an existing queue is not a second queue.
data "genesyscloud_routing_queue" "support" {
  name = "Support"
}
