resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "resolved_again" {
  name = "resolved"
}

# A module that declares a code with a literal name, called twice by the same root module.
module "sales_codes" {
  source = "./modules/codes"
}

module "support_codes" {
  source = "./modules/codes"
}
