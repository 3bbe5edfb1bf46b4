using System.Collections;
using System.Reflection;

namespace RomanaAws.VpcSim.Scenario;

public static partial class ScenarioLoader
{
    /// <summary>
    /// YAML sets a key written without a value (<c>subnets:</c>) or a bare list item (<c>- </c>) to null, whatever the
    /// default. Every null where the scenario types say "not null" is a problem named by its path, found before any
    /// rule looks at the values (found by fuzzing, docs/robustness.md). Reads the types' nullable annotations.
    /// </summary>
    private static List<string> NullProblems(object spec, string path)
    {
        var problems = new List<string>();
        var nullability = new NullabilityInfoContext();
        Visit(spec, path);
        return problems;

        void Visit(object node, string at)
        {
            foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                var value = property.GetValue(node);
                var key = at.Length == 0 ? Camel(property.Name) : $"{at}.{Camel(property.Name)}";
                if (value is null)
                {
                    if (nullability.Create(property).ReadState == NullabilityState.NotNull)
                    {
                        problems.Add($"{key}: has no value; give one or leave the key out");
                    }

                    continue;
                }

                if (value is string || value.GetType().IsValueType)
                {
                    continue;
                }

                if (value is IDictionary dictionary)
                {
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (entry.Value is null)
                        {
                            problems.Add($"{key}.{InputEcho.Of(entry.Key.ToString())}: has no value");
                        }
                    }
                }
                else if (value is IList list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is null)
                        {
                            problems.Add($"{key}[{i}]: is an empty list item; remove it or give its fields");
                        }
                        else if (IsSpec(list[i]!))
                        {
                            Visit(list[i]!, $"{key}[{i}]");
                        }
                    }
                }
                else if (IsSpec(value))
                {
                    Visit(value, key);
                }
            }
        }
    }

    private static bool IsSpec(object value) => value.GetType().Namespace == typeof(ScenarioFile).Namespace && value is not string;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
