using k8s;
using k8s.Models;

namespace RomanaAws.Tests.Shared;

/// <summary>What the kops addon's RBAC grants a service account, rendered by kops-addon/render.sh for a sample cluster.</summary>
internal static class KopsRbac
{
    /// <summary>"group/resource:verb" for every rule of the ClusterRoles and Roles bound to <paramref name="serviceAccount"/>.</summary>
    public static async Task<HashSet<string>> GrantedAsync(string serviceAccount)
    {
        var directory = Directory.CreateTempSubdirectory("romana-rbac-");
        try
        {
            var run = await Repo.RunAsync("env", "ETCD_ENDPOINTS=https://10.0.0.5:2379", "bash", Path.Combine(Repo.Root, "kops-addon", "render.sh"), "demo.k8s.local", "100.96.0.0/11", "us-east-1a,us-east-1b,us-east-1c", directory.FullName);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"render.sh failed: {run.Error}");
            }

            var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "v0.1.0.yaml")));
            var roles = objects.OfType<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount)).Select(b => b.RoleRef.Name).ToHashSet();
            var namespaced = objects.OfType<V1RoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount)).Select(b => b.RoleRef.Name).ToHashSet();
            var rules = objects.OfType<V1ClusterRole>().Where(r => roles.Contains(r.Metadata.Name)).SelectMany(r => r.Rules)
                .Concat(objects.OfType<V1Role>().Where(r => namespaced.Contains(r.Metadata.Name)).SelectMany(r => r.Rules));
            return [.. from rule in rules from g in rule.ApiGroups from r in rule.Resources from v in rule.Verbs select $"{g}/{r}:{v}"];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
