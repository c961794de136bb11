# Nothing secret is an input: the platform's keys and passwords are made in the cluster by
# k8s/create-secrets.sh, never by Terraform, so they are in neither this repository nor the state.

variable "project_id" {
  type        = string
  description = "Google Cloud project that holds the cluster (an existing project with billing enabled)."
}

variable "region" {
  type        = string
  description = "Region of the regional cluster: control plane and nodes spread over its zones."
  default     = "europe-west1"
}

variable "zones" {
  type        = list(string)
  description = "Zones of the node pool, at least three for prod (one Kafka node and one MongoDB member per Kubernetes node). Empty: GKE's default zones of the region."
  default     = []

  validation {
    condition     = length(var.zones) == 0 || length(var.zones) >= 3
    error_message = "Give at least three zones, or none for the region's defaults."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the GKE cluster, and the prefix of the network, NAT and service account made for it."
  default     = "conduit"
}

variable "release_channel" {
  type        = string
  description = "GKE release channel the control plane and nodes follow (RAPID, REGULAR, STABLE or EXTENDED)."
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE", "EXTENDED"], var.release_channel)
    error_message = "release_channel is one of RAPID, REGULAR, STABLE, EXTENDED."
  }
}

variable "machine_type" {
  type        = string
  description = "Machine type of the platform's nodes. e2-standard-4 (4 vCPU, 16 GB) holds one Kafka node (1 CPU, 4 GiB), one MongoDB member (1 CPU, 2-3 GiB) and a share of the services (k8s/overlays/prod)."
  default     = "e2-standard-4"
}

variable "min_nodes_per_zone" {
  type        = number
  description = "Fewest nodes in each zone; with three zones, 1 gives the three nodes prod needs."
  default     = 1

  validation {
    condition     = var.min_nodes_per_zone >= 1
    error_message = "At least one node per zone: Kafka nodes and MongoDB members refuse to share a node."
  }
}

variable "max_nodes_per_zone" {
  type        = number
  description = "Most nodes in each zone the cluster autoscaler may add when the services' HPAs scale out."
  default     = 2
}

variable "node_disk_size_gb" {
  type        = number
  description = "Boot disk of each node in GB (images and logs; data is on persistent disks)."
  default     = 50
}

variable "nodes_cidr" {
  type        = string
  description = "Primary range of the nodes' subnetwork."
  default     = "10.10.0.0/20"
}

variable "pods_cidr" {
  type        = string
  description = "Secondary range for Pod IPs (VPC-native cluster)."
  default     = "10.20.0.0/16"
}

variable "services_cidr" {
  type        = string
  description = "Secondary range for Service IPs."
  default     = "10.30.0.0/20"
}

variable "control_plane_cidr" {
  type        = string
  description = "The /28 of the control plane's private endpoint. Private, so the network policies' rule for the Kubernetes API (private ranges only) lets Strimzi's entity operator reach it."
  default     = "172.16.0.0/28"
}

variable "control_plane_authorized_networks" {
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  description = "Networks allowed to reach the control plane's public endpoint (your office, CI's egress). Empty: any address, still with Google authentication; set it for a real deployment."
  default     = []
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse `terraform destroy` of the cluster; set false only to tear a test environment down."
  default     = true
}

variable "strimzi_version" {
  type        = string
  description = "Strimzi operator Helm chart version; must match the API model k8s/pom.xml validates the Kafka resources with."
  default     = "0.49.1"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.strimzi_version))
    error_message = "An exact chart version (x.y.z), never a range."
  }
}

variable "ingress_nginx_chart_version" {
  type        = string
  description = "ingress-nginx Helm chart version (4.12.8 is controller v1.12.8, the same controller the kind job runs)."
  default     = "4.12.8"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.ingress_nginx_chart_version))
    error_message = "An exact chart version (x.y.z), never a range."
  }
}

variable "image_registry" {
  type        = string
  description = "Registry and owner of the services' images, as CI pushes them (ghcr.io/<owner>)."
  default     = "ghcr.io/conduit-platform"
}

variable "image_tag" {
  type        = string
  description = "Tag of the four services' images: a release version or sha-<commit> (CI's tags), never latest."

  validation {
    condition     = var.image_tag != "latest" && length(var.image_tag) > 0
    error_message = "Pin a release or a commit tag, never latest."
  }
}
