resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support_copy" {
  name = "support"
}

# A module that declares a queue with a literal name, called twice by the same root module.
module "team_a" {
  source = "./modules/queues"
}

module "team_b" {
  source = "./modules/queues"
}
