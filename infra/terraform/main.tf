# One regional GKE cluster for Conduit: a VPC-native private-node cluster with Dataplane V2 (which
# enforces the platform's NetworkPolicies), one autoscaled node pool spread over three zones, Cloud
# NAT for the nodes' egress (images from ghcr.io, quay.io, registry.k8s.io, Docker Hub).

provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  node_roles = [
    # the least a node needs: write logs and metrics, read monitoring metadata
    "roles/container.defaultNodeServiceAccount",
  ]
}

resource "google_project_service" "apis" {
  for_each = toset(["compute.googleapis.com", "container.googleapis.com"])

  service = each.value
}

resource "google_compute_network" "conduit" {
  name                    = var.cluster_name
  auto_create_subnetworks = false

  depends_on = [google_project_service.apis]
}

resource "google_compute_subnetwork" "nodes" {
  name                     = "${var.cluster_name}-nodes"
  network                  = google_compute_network.conduit.id
  region                   = var.region
  ip_cidr_range            = var.nodes_cidr
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = var.pods_cidr
  }

  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = var.services_cidr
  }
}

resource "google_compute_router" "egress" {
  name    = "${var.cluster_name}-egress"
  network = google_compute_network.conduit.id
  region  = var.region
}

resource "google_compute_router_nat" "egress" {
  name                               = "${var.cluster_name}-egress"
  router                             = google_compute_router.egress.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# The nodes' own identity instead of the project's default compute service account (Editor).
resource "google_service_account" "nodes" {
  account_id   = "${var.cluster_name}-nodes"
  display_name = "GKE nodes of ${var.cluster_name}"
}

resource "google_project_iam_member" "nodes" {
  for_each = toset(local.node_roles)

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "conduit" {
  name                = var.cluster_name
  location            = var.region
  node_locations      = length(var.zones) > 0 ? var.zones : null
  deletion_protection = var.deletion_protection

  # the node pool below is managed on its own; GKE insists on creating a first pool
  remove_default_node_pool = true
  initial_node_count       = 1

  network           = google_compute_network.conduit.id
  subnetwork        = google_compute_subnetwork.nodes.id
  networking_mode   = "VPC_NATIVE"
  datapath_provider = "ADVANCED_DATAPATH"

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = var.control_plane_cidr
  }

  dynamic "master_authorized_networks_config" {
    for_each = length(var.control_plane_authorized_networks) > 0 ? [1] : []
    content {
      dynamic "cidr_blocks" {
        for_each = var.control_plane_authorized_networks
        content {
          cidr_block   = cidr_blocks.value.cidr_block
          display_name = cidr_blocks.value.display_name
        }
      }
    }
  }

  release_channel {
    channel = var.release_channel
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  depends_on = [google_project_service.apis]
}

resource "google_container_node_pool" "platform" {
  name     = "platform"
  cluster  = google_container_cluster.conduit.id
  location = var.region

  autoscaling {
    min_node_count = var.min_nodes_per_zone
    max_node_count = var.max_nodes_per_zone
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  # one node at a time, a new one first: Kafka (min ISR 2 of 3) and MongoDB (majority of 3) keep
  # serving through an upgrade, and the PodDisruptionBudgets of k8s/overlays/prod are respected
  upgrade_settings {
    max_surge       = 1
    max_unavailable = 0
  }

  node_config {
    machine_type    = var.machine_type
    disk_size_gb    = var.node_disk_size_gb
    disk_type       = "pd-balanced"
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    labels = {
      "conduit-pool" = "platform"
    }
  }

  depends_on = [google_project_iam_member.nodes]
}
