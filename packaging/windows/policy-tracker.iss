; Inno Setup script: the Windows installer of Policy Tracker (Inno Setup 6.3 or later).
;
; Build the bundle first (python packaging\build.py), then either
;     python packaging\build.py --installer
; or  iscc /DAppVersion=0.1.0 packaging\windows\policy-tracker.iss
; The version comes from pyproject.toml through build.py, so it is written in one place only.
; Output: dist\policy-tracker-<version>-setup.exe. Installs per user by default (no admin
; rights needed); an administrator can choose "all users". Uninstalling keeps the user's data
; (store, notes, sources, logs) in their AppData folder.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z policy-tracker.iss (packaging\build.py --installer does)
#endif
#define AppName "Policy Tracker"
#define AppId "eu.policytracker.PolicyTracker"
#define ExeName "policy-tracker.exe"
#ifndef DistDir
  #define DistDir "..\..\dist\policy-tracker"
#endif

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Policy Tracker developers
AppPublisherURL=https://policytracker.eu/
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=policy-tracker-{#AppVersion}-setup
SetupIconFile=..\icons\{#AppId}.ico
UninstallDisplayIcon={app}\{#ExeName}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#ExeName}"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#ExeName}"; AppUserModelID: "{#AppId}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#ExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
