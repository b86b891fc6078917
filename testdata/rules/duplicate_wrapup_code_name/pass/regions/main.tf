# One root module managing two orgs through provider aliases: each org has its own codes.
provider "genesyscloud" {
  alias      = "emea"
  aws_region = "eu-west-1"
}

provider "genesyscloud" {
  alias      = "us"
  aws_region = "us-east-1"
}

resource "genesyscloud_routing_wrapupcode" "resolved_emea" {
  provider = genesyscloud.emea
  name     = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "resolved_us" {
  provider = genesyscloud.us
  name     = "Resolved"
}

# The same module for each org, its default provider mapped to the org's.
module "emea_codes" {
  source = "./modules/codes"
  providers = {
    genesyscloud = genesyscloud.emea
  }
}

module "us_codes" {
  source = "./modules/codes"
  providers = {
    genesyscloud = genesyscloud.us
  }
}
