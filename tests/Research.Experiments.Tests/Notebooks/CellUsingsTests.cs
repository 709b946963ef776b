using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Research.Experiments.Notebooks;

namespace Research.Experiments.Tests.Notebooks;

/// <summary>
/// Each cell brings its own usings: a cell that names a type of the project, of System.IO, ScottPlot or TorchSharp
/// imports its namespace itself. The kernel keeps the usings of earlier cells, so a run from the top would not notice
/// a missing one; a reader who runs one cell alone, or a kernel that has not run the cell before it, would.
/// </summary>
public sealed class CellUsingsTests
{
    private const string TorchStatic = "static TorchSharp.torch";

    /// <summary>Simple name → the namespace (or `static` class) a cell must import to use it unqualified.</summary>
    private static readonly Dictionary<string, string> Imports = BuildImports();

    [Theory]
    [MemberData(nameof(NotebookFiles.Names), MemberType = typeof(NotebookFiles))]
    public void Each_cell_imports_the_namespaces_of_the_types_it_names(string name)
    {
        var cells = NotebookFiles.CodeCells(NotebookFiles.Read(name))
            .Select(c => CSharpSyntaxTree.ParseText(NotebookFiles.Source(c), new CSharpParseOptions(kind: SourceCodeKind.Script)).GetCompilationUnitRoot())
            .ToList();
        var declared = cells.SelectMany(DeclaredNames).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        for (var k = 0; k < cells.Count; k++)
        {
            var imported = cells[k].Usings.Select(u => (u.StaticKeyword.IsKind(SyntaxKind.None) ? "" : "static ") + u.Name!.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var identifier in UnqualifiedNames(cells[k]).Where(n => !declared.Contains(n)).Distinct(StringComparer.Ordinal))
            {
                if (Imports.TryGetValue(identifier, out var needed) && !imported.Contains(needed))
                    missing.Add($"code cell {k + 1} uses {identifier} without `using {needed};`");
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void The_check_sees_the_bug_the_kernel_reported()
    {
        var cell = CSharpSyntaxTree.ParseText("var p = Path.Combine(\"a\", \"b\");", new CSharpParseOptions(kind: SourceCodeKind.Script)).GetCompilationUnitRoot();
        Assert.Contains("Path", UnqualifiedNames(cell));
        Assert.Equal("System.IO", Imports["Path"]);
        Assert.Equal("Research.Experiments.Notebooks", Imports["Notebook"]);
        Assert.Equal(TorchStatic, Imports["tensor"]);
    }

    /// <summary>Identifiers that stand alone: not a member after a dot, not a qualified name's right part, not an argument's name.</summary>
    private static IEnumerable<string> UnqualifiedNames(SyntaxNode root) =>
        root.DescendantNodes().OfType<SimpleNameSyntax>()
            .Where(n => !n.IsVar && n.Identifier.ValueText != "nameof")
            .Where(n => n.Parent is not MemberAccessExpressionSyntax access || access.Expression == n)
            .Where(n => n.Parent is not QualifiedNameSyntax qualified || qualified.Left == n)
            .Where(n => n.Parent is not NameColonSyntax and not UsingDirectiveSyntax && n.FirstAncestorOrSelf<UsingDirectiveSyntax>() is null)
            .Select(n => n.Identifier.ValueText);

    /// <summary>Variables, functions and parameters the notebook declares: a local `p` is not torch's member.</summary>
    private static IEnumerable<string> DeclaredNames(SyntaxNode root) =>
        root.DescendantNodes().Select(n => n switch
        {
            VariableDeclaratorSyntax v => v.Identifier.ValueText,
            SingleVariableDesignationSyntax d => d.Identifier.ValueText,
            ParameterSyntax p => p.Identifier.ValueText,
            LocalFunctionStatementSyntax f => f.Identifier.ValueText,
            MethodDeclarationSyntax m => m.Identifier.ValueText,
            ForEachStatementSyntax e => e.Identifier.ValueText,
            _ => null,
        }).OfType<string>();

    private static Dictionary<string, string> BuildImports()
    {
        var imports = new Dictionary<string, string>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, string import)
        {
            if (ambiguous.Contains(name))
                return;
            if (imports.TryGetValue(name, out var existing) && existing != import)
            {
                imports.Remove(name);
                ambiguous.Add(name);
                return;
            }
            imports[name] = import;
        }
        Assembly[] project = [typeof(Notebook).Assembly, typeof(Models.Recurrent.LstmCell).Assembly, typeof(Data.DataException).Assembly];
        foreach (var type in project.SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested && !t.IsGenericTypeDefinition && t.Namespace is not null))
            Add(type.Name, type.Namespace!);
        foreach (var name in new[] { "Path", "File", "Directory", "DirectoryInfo", "FileInfo" })
            Add(name, "System.IO");
        foreach (var name in new[] { "Plot", "MarkerShape", "LinePattern", "Colors" })
            Add(name, "ScottPlot");
        Add("torch", "TorchSharp");
        var torch = typeof(TorchSharp.torch);
        const BindingFlags statics = BindingFlags.Public | BindingFlags.Static;
        var members = torch.GetMethods(statics).Where(m => !m.IsSpecialName).Select(m => m.Name)
            .Concat(torch.GetProperties(statics).Select(p => p.Name))
            .Concat(torch.GetFields(statics).Select(f => f.Name))
            .Concat(torch.GetNestedTypes().Select(t => t.Name));
        foreach (var member in members)
            Add(member, TorchStatic);
        return imports;
    }
}
